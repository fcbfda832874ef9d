"""The check of a whole project that every command shares: each position apart, then across them."""
