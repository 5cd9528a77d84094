"""The session with the endpoint: reaching it, sending calls and classifying the answers, paging,
the resources a run creates and their cleanup, reads that settle, TOTP codes and secrets.

The bottom layer of the suite: it says what happened, never what that means for a verdict.
"""
