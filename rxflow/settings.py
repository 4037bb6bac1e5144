"""Configuration: process settings from the environment; per-practice rules, strict by default."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_DATABASE_URL = "sqlite:///var/rxflow.db"


class PracticeRules(BaseModel):
    """Rules that differ by state or practice; every default is the strict federal value.

    Stored as JSON on the practice row, so a practice changes them without a migration.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    state: str = "US"
    vcpr_months: int = Field(12, ge=1, le=36)  # exam within this window to refill (state acts)
    rx_expiry_months: int = Field(12, ge=1, le=24)  # non-controlled prescriptions
    controlled_expiry_months: int = Field(6, ge=1, le=6)  # 21 CFR 1306.22: 6 months, C-III–V
    controlled_max_refills: int = Field(5, ge=0, le=5)  # 21 CFR 1306.22: at most 5 refills
    unclaimed_days: int = Field(14, ge=1, le=90)  # verified but not picked up: back to stock
    weight_max_age_days: int = Field(180, ge=1, le=730)  # an older weight is a finding
    fax_max_attempts: int = Field(5, ge=1, le=20)
    fax_backoff_seconds: int = Field(60, ge=1, le=3600)
    record_retention_years: int = Field(2, ge=2, le=10)  # 21 CFR 1304.04: 2 years federal
    allow_schedule_ii_advance_copy: bool = False  # 21 CFR 1306.11: original must reach pharmacy
    # Generic name (lower case) -> schedule 2..5, or 0 for "not controlled in this state".
    schedule_overrides: dict[str, int] = Field(default_factory=dict)
    default_label_stock: str = "dymo_30258"  # holds controlled labels with both warnings
    approval_overdue_hours: int = Field(4, ge=1, le=72)
    pickup_overdue_days: int = Field(7, ge=1, le=60)
    refill_reminder_lead_days: int = Field(7, ge=0, le=60)


@dataclass(frozen=True)
class Config:
    """Process-level settings read once from the environment (RXFLOW_*)."""

    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str = ""
    var_dir: Path = Path("var")
    fax_transport: str = "hotfolder"  # "smtp" or "hotfolder"
    hot_folder: Path = Path("var/fax-out")
    inbound_folder: Path = Path("var/fax-in")
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    smtp_from: str = "pharmacy@rxflow.invalid"
    fax_gateway_template: str = "{digits}@fax-gateway.example"
    sms_gateway_template: str = "{digits}@sms-gateway.example"
    extra: dict[str, str] = field(default_factory=dict)


def _flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_config(env: dict[str, str] | None = None) -> Config:
    """Read RXFLOW_* variables; unknown ones are ignored, bad numbers are a clear error."""
    env = dict(os.environ if env is None else env)
    var_dir = Path(env.get("RXFLOW_VAR_DIR", "var"))
    try:
        smtp_port = int(env.get("RXFLOW_SMTP_PORT", "25"))
    except ValueError as exc:
        raise ValueError("RXFLOW_SMTP_PORT must be a whole number.") from exc
    return Config(
        database_url=env.get("RXFLOW_DATABASE_URL", f"sqlite:///{var_dir / 'rxflow.db'}"),
        secret_key=env.get("RXFLOW_SECRET_KEY", ""),
        var_dir=var_dir,
        fax_transport=env.get("RXFLOW_FAX_TRANSPORT", "hotfolder"),
        hot_folder=Path(env.get("RXFLOW_HOT_FOLDER", str(var_dir / "fax-out"))),
        inbound_folder=Path(env.get("RXFLOW_INBOUND_FOLDER", str(var_dir / "fax-in"))),
        smtp_host=env.get("RXFLOW_SMTP_HOST", "127.0.0.1"),
        smtp_port=smtp_port,
        smtp_username=env.get("RXFLOW_SMTP_USERNAME", ""),
        smtp_password=env.get("RXFLOW_SMTP_PASSWORD", ""),
        smtp_starttls=_flag(env.get("RXFLOW_SMTP_STARTTLS", "")),
        smtp_from=env.get("RXFLOW_SMTP_FROM", "pharmacy@rxflow.invalid"),
        fax_gateway_template=env.get("RXFLOW_FAX_GATEWAY", "{digits}@fax-gateway.example"),
        sms_gateway_template=env.get("RXFLOW_SMS_GATEWAY", "{digits}@sms-gateway.example"),
    )
