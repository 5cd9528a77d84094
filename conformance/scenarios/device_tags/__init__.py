"""A device's tags after creation: TagMFADevice, UntagMFADevice, ListMFADeviceTags.

`gather` creates a device for the purpose (its tags, where the rule needs some, given at creation) and
sends the tag operation; `checks` holds the observations and the rules that judge them.
"""
