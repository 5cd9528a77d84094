"""Devices through their assignment: the main device enabled for a user with real TOTP codes, listed
under each filter and without one, read back (GetMFADevice, ListMFADevices), enabled again, deactivated,
listed again, deleted, listed again; a second device through the calls the documents refuse while it is
assigned (enabled for another user, deactivated for that user, deleted), each followed by the users'
lists; a third device offered wrong codes, then deactivated for a user it is not assigned to.

`gather` makes the calls once per drawn example (`Assignment`; the refusals in `refusal_steps`);
`checks` and `refusals` judge them, each rule stating what it needs (``requires=``).
"""
