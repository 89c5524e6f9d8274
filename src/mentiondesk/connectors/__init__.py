"""Channel connectors: each platform behind one contract (``connectors.base.Connector``)."""
