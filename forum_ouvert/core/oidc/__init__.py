"""ProConnect and FranceConnect: the State's OpenID Connect logins, checked in full."""
