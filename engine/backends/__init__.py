"""Where a request is answered: the contract every backend keeps, the in-process model, a server."""
