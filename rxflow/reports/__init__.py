"""End-of-day reports and the audit-trail export: what the front desk did, in figures."""
