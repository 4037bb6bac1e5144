"""Which transport each channel uses: fax by the practice's setting, email and text by SMTP."""

from __future__ import annotations

from dataclasses import dataclass, field

from rxflow.errors import InvalidInput
from rxflow.fax.hotfolder import HotFolderTransport
from rxflow.fax.smtp import SmtpFaxTransport, SmtpSettings
from rxflow.fax.transports import FaxTransport
from rxflow.notify.senders import (
    EmailSender,
    MailSettings,
    Sender,
    SmsGatewaySender,
    SmtpMailer,
)
from rxflow.settings import Config


@dataclass
class Transports:
    """The fax transport and one sender per client channel ("email", "sms")."""

    fax: FaxTransport
    senders: dict[str, Sender] = field(default_factory=dict)
    hot_folder: HotFolderTransport | None = None  # polled for delivery receipts


def mail_settings(config: Config) -> MailSettings:
    return MailSettings(
        host=config.smtp_host,
        port=config.smtp_port,
        username=config.smtp_username,
        password=config.smtp_password,
        starttls=config.smtp_starttls,
        from_address=config.smtp_from,
    )


def transports_from_config(config: Config) -> Transports:
    mailer = SmtpMailer(mail_settings(config))
    senders: dict[str, Sender] = {
        "email": EmailSender(mailer),
        "sms": SmsGatewaySender(mailer, config.sms_gateway_template),
    }
    if config.fax_transport == "smtp":
        fax = SmtpFaxTransport(
            SmtpSettings(
                host=config.smtp_host,
                port=config.smtp_port,
                username=config.smtp_username or None,
                password=config.smtp_password or None,
                starttls=config.smtp_starttls,
                from_address=config.smtp_from,
                gateway_template=config.fax_gateway_template,
            )
        )
        return Transports(fax, senders)
    if config.fax_transport != "hotfolder":
        raise InvalidInput("RXFLOW_FAX_TRANSPORT must be 'smtp' or 'hotfolder'.")
    folder = HotFolderTransport(config.hot_folder)
    return Transports(folder, senders, hot_folder=folder)
