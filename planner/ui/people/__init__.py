"""The people list, the person panel and the contact dialog."""
