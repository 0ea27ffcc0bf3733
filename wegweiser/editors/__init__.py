"""The editors' tools: schemas for VS Code, `new`, `serve` and the web form editor."""
