"""Test support: the contract suite every results store passes."""
