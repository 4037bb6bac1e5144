"""rxflow: pharmacy and prescription-fulfillment workflow engine for veterinary hospitals."""

__version__ = "0.1.0"
