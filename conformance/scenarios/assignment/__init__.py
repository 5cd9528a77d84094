"""Devices through their assignment: three devices enabled for a user with real TOTP codes, the first
enabled again, the second then deactivated, the third deactivated and deleted, and every view read
once (each filter of ListVirtualMFADevices and none, GetMFADevice, ListMFADevices); a fourth device
through the calls the documents refuse while it is assigned (enabled for another user, deactivated for
that user, deleted), each followed by the users' lists; a fifth offered wrong codes, then deactivated
for a user it is not assigned to.

`gather` makes the calls once per drawn example (`Assignment`; the refusals in `refusal_steps`);
`checks` and `refusals` judge them, each rule stating what it needs (``requires=``).
"""
