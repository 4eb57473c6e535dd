"""infoview's engine: workflow definitions, the interview state machine, the event store, the CLI."""
