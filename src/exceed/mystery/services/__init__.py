"""Every write to mystery shopping goes through these functions, one module per thing they change."""
