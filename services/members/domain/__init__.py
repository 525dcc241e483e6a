"""members' rules: no Flask, no HTTP; raises shared.errors problems the API turns into 4xx."""
