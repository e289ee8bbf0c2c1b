"""What a customer is found by: an email address or a phone number, checked and normalised.

Emails match without regard to case. Phone numbers match by their digits, so "+45 12 34-56 78"
finds "004512345678" and "+4512345678"; a number written without its country code is another
number (matching on a suffix could erase a stranger's data).
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from exceed.errors import DomainError

PHONE_CHARACTERS = re.compile(r"^\+?[\d\s().\-/]+$")
MIN_PHONE_DIGITS = 6
MAX_LENGTH = 254


@dataclass(frozen=True)
class CustomerIdentifier:
    email: str = ""  # lower case
    phone: str = ""  # digits only, without a leading 00 or +
    # Whether the phone was written with its country code (+ or 00), so 00-prefixed storage matches too.
    international: bool = False

    def phone_forms(self) -> set[str]:
        """The phone as stored once spaces, dashes, brackets, dots, slashes and + are removed."""
        if not self.phone:
            return set()
        return {self.phone, "00" + self.phone} if self.international else {self.phone}

    def references(self) -> set[str]:
        """The ways a till or a member of staff may have written this customer's reference,
        hashed by recovery's ``customer_hash`` to find their visits and cases."""
        found = set()
        if self.email:
            found.add(self.email)
        if self.phone:
            found.add(self.phone)
            if self.international:
                found |= {"+" + self.phone, "00" + self.phone}
        return found

    def audit_hash(self) -> str:
        """A keyed hash of the identifier for the audit record: the record proves which request
        was handled without keeping the address it was about. Keyed with the secret key (another
        purpose string than recovery's hashes), so it cannot be joined with any other table."""
        return salted_hmac("exceed.privacy.audit", f"{self.email}|{self.phone}", algorithm="sha256").hexdigest()

    def __bool__(self) -> bool:
        return bool(self.email or self.phone)


def customer_identifier(*, email: str | None = "", phone: str | None = "") -> CustomerIdentifier:
    """Check and normalise what was typed; a DomainError names the field at fault.

    At least one of the two is needed; both may be given (the customer's data under either).
    """
    email = (email or "").strip()
    phone = (phone or "").strip()
    if not email and not phone:
        raise DomainError(_("Give the customer's email address or phone number."), field="email")
    if len(email) > MAX_LENGTH or "\x00" in email:
        raise DomainError(_("Enter a valid email address."), field="email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise DomainError(_("Enter a valid email address."), field="email") from None
    digits = ""
    international = False
    if phone:
        if len(phone) > 40 or not PHONE_CHARACTERS.match(phone):
            raise DomainError(_("Enter a phone number of digits, spaces, dashes and +."), field="phone")
        digits = re.sub(r"\D", "", phone)
        international = phone.startswith("+") or digits.startswith("00")
        if digits.startswith("00"):
            digits = digits[2:]
        if len(digits) < MIN_PHONE_DIGITS:
            raise DomainError(
                _("A phone number has at least %(count)s digits.") % {"count": MIN_PHONE_DIGITS}, field="phone"
            )
    return CustomerIdentifier(email=email.lower(), phone=digits, international=international)
