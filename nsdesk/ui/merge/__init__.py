"""File ▸ Send changes…, Merge changes…, the open conflicts and the merge history."""
