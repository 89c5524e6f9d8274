"""The desk: accounts and access, cases and their actions, the inbox, routing posts to cases."""
