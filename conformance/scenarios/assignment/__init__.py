"""A device through its assignment: enabled for a user with real TOTP codes, listed under each filter,
read back (GetMFADevice, ListMFADevices), enabled again, deleted while assigned, deactivated, listed
again, deleted, listed again; and a second device offered wrong codes.

`gather` makes the thirteen calls once per drawn example (`Assignment`); `checks` judges them, each
rule stating what it needs (``requires=``): most need the device enabled, some need it released.
"""
