"""Outbound adapters of the orders context: MongoDB repositories, the people lookup over
accounts, and the in-memory fakes of every orders port."""
