"""The advocacy ledger: who advocates, what was asked and what was given back."""
