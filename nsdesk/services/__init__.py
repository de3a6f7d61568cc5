"""The use cases. Every change to a desk goes through here, inside one
transaction, with its audit entries. No Qt; long work takes a progress callback
and a cancel check."""
