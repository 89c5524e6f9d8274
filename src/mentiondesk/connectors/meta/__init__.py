"""Facebook Pages, Messenger and Instagram: the platform layer, independent of storage and web.

Where things are:

- ``signature``: the webhook handshake and ``X-Hub-Signature-256`` check (pure functions);
- ``events`` / ``parser``: a webhook body → typed ``MetaEvent`` / ``Ignored`` / ``Rejected``;
- ``graph``: the Graph API client (httpx); ``errors``: one classifier for Meta's error envelope
  and usage headers, and the exceptions the connector raises;
- ``capabilities``: what each platform allows for an item now, and why not (as data);
- ``connector``: ``MetaConnector``, the ``connectors.base`` contract over the Graph client;
- ``fake_graph`` / ``fake_wire`` / ``fake_server`` / ``fake_webhooks``: a fake Graph API on real
  HTTP that also signs and sends webhooks as Meta does, for tests and the offline demo.

Nothing is imported here, so loading one module never starts a server or a client.
"""
