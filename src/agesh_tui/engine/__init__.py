"""The local engine: domain model, rules, storage, imports. Never imports Textual."""
