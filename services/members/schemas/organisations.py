"""Request and response bodies of organisations, the directory and the vocabulary."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from marshmallow import Schema, ValidationError, fields, validate
from webargs.fields import DelimitedList

from shared.i18n import LOCALES, LocalizedText
from shared.pagination import PageArgs, page_schema
from shared.vocabulary import COUNTRIES, KINDS, PARKS, SECTORS, SIZES, STATUSES

from ..domain.accounts import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, time_zones

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_LATIN = r"A-Za-z\u00c0-\u024f"
_CJK = re.compile(f"[{_HAN}]")
_LATIN_LETTER = re.compile(f"[{_LATIN}]")
# The two rules below as the documents state them (JSON Schema patterns search, unanchored).
LATIN_NAME_PATTERN = f"^[^{_HAN}]*[{_LATIN}][^{_HAN}]*$"
CHINESE_NAME_PATTERN = f"^$|[{_HAN}]"


class CountryCode(fields.String):
    """ISO 3166-1 alpha-2, any case in, upper case stored."""

    def __init__(self, **kwargs):
        kwargs["metadata"] = {
            "description": "ISO 3166-1 alpha-2 code, e.g. FR, CN (lower case is upper-cased)",
            "enum": sorted(COUNTRIES),
            **kwargs.get("metadata", {}),
        }
        super().__init__(validate=validate.Length(equal=2), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        code = super()._deserialize(value, attr, data, **kwargs).strip().upper()
        if code not in COUNTRIES:
            raise ValidationError("Use the country's ISO 3166-1 alpha-2 code, such as FR or CN.")
        return code


def _latin_name(value: str) -> None:
    if _CJK.search(value) or not _LATIN_LETTER.search(value):
        raise ValidationError("Write the name in Latin script; give the Chinese name as name_zh.")


def _chinese_name(value: str) -> None:
    if value and not _CJK.search(value):
        raise ValidationError("The Chinese name is written in Chinese characters.")


def _timezone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            "Use an IANA time zone such as Europe/Paris or Asia/Shanghai."
        ) from exc


def _one_of(vocabulary) -> validate.OneOf:
    return validate.OneOf(list(vocabulary))


def _text(max_length: int, **kwargs) -> fields.String:
    return fields.String(validate=validate.Length(min=1, max=max_length), **kwargs)


def _name(**kwargs) -> fields.String:
    return fields.String(
        validate=[validate.Length(min=2, max=200), _latin_name],
        metadata={
            "description": "The name as the organisation writes it in Latin script",
            "pattern": LATIN_NAME_PATTERN,
        },
        **kwargs,
    )


class OrganisationFields(Schema):
    """An organisation's own fields, as its admins write them."""

    name = _name()
    name_zh = fields.String(
        allow_none=True,
        validate=[validate.Length(max=200), _chinese_name],
        metadata={
            "description": "The Chinese name, if it has one",
            "pattern": CHINESE_NAME_PATTERN,
        },
    )
    city = _text(120, allow_none=True)
    park = fields.String(validate=_one_of(PARKS))
    kind = fields.String(validate=_one_of(KINDS))
    size = fields.String(allow_none=True, validate=_one_of(SIZES))
    sectors = fields.List(
        fields.String(validate=_one_of(SECTORS)), validate=validate.Length(min=1, max=8)
    )
    website = fields.Url(
        allow_none=True, schemes={"http", "https"}, validate=validate.Length(max=300)
    )
    description = LocalizedText(max_length=5000, required_locale=False)


class OrganisationPatch(OrganisationFields):
    """The fields an organisation's admins may change, and its contact person."""

    contact_user_id = fields.UUID(
        allow_none=True,
        metadata={"description": "A member named on the public profile as its contact; null: none"},
    )


class OrganisationIn(OrganisationFields):
    """An organisation as it registers."""

    name = _name(required=True)
    country = CountryCode(required=True)
    park = fields.String(required=True, validate=_one_of(PARKS))
    kind = fields.String(required=True, validate=_one_of(KINDS))
    sectors = fields.List(
        fields.String(validate=_one_of(SECTORS)),
        required=True,
        validate=validate.Length(min=1, max=8),
    )
    registration_number = fields.String(
        required=True,
        validate=validate.Length(min=1, max=40),
        metadata={"description": "SIREN or SIRET in France, USCC in China; free text elsewhere"},
    )


class AdminIn(Schema):
    """The person registering, who becomes the organisation's first admin."""

    email = fields.Email(required=True, validate=validate.Length(max=254))
    password = fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(max=MAX_PASSWORD_LENGTH),
        metadata={"minLength": MIN_PASSWORD_LENGTH},  # the domain's policy
    )
    full_name = _text(200, required=True)
    language = fields.String(load_default="en", validate=validate.OneOf(LOCALES))
    timezone = fields.String(
        load_default="Europe/Paris",
        validate=[validate.Length(max=64), _timezone],
        metadata={"enum": time_zones()},
    )


class RegistrationIn(Schema):
    organisation = fields.Nested(OrganisationIn, required=True)
    admin = fields.Nested(AdminIn, required=True)


class ContactOut(Schema):
    """The member an organisation names on its profile as the person to contact."""

    user_id = fields.UUID()
    full_name = fields.String()
    email = fields.String()


class OrganisationOut(Schema):
    """An organisation; `hints` only for platform staff, `status_reason` also for its members."""

    id = fields.UUID()
    name = fields.String()
    name_zh = fields.String(allow_none=True)
    country = fields.String()
    park = fields.String()
    city = fields.String(allow_none=True)
    kind = fields.String()
    size = fields.String(allow_none=True)
    sectors = fields.List(fields.String())
    website = fields.String(allow_none=True)
    description = fields.Dict(keys=fields.String(), values=fields.String())
    registration_number = fields.String()
    status = fields.String(validate=validate.OneOf(STATUSES))
    status_reason = fields.String(allow_none=True)
    hints = fields.Dict(
        metadata={"description": "registration_number_valid, email_domain_matches_website"}
    )
    contact = fields.Nested(ContactOut, allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class RegisteredAdminOut(Schema):
    id = fields.UUID()
    email = fields.String()
    full_name = fields.String()


class RegistrationOut(Schema):
    organisation = fields.Nested(OrganisationOut)
    admin = fields.Nested(RegisteredAdminOut)


class VerifyIn(Schema):
    reason = fields.String(load_default=None, validate=validate.Length(max=2000))


class SuspendIn(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=3, max=2000))


class QueueArgs(PageArgs):
    status = fields.String(load_default="pending", validate=validate.OneOf(STATUSES))


OrganisationPage = page_schema(OrganisationOut, name="OrganisationPage")

# The most organisations one batch read names: a page of cards, never a whole register.
MAX_BATCH_IDS = 100


class BatchArgs(Schema):
    ids = DelimitedList(
        fields.UUID(),
        required=True,
        validate=[validate.Length(min=1), validate.Length(max=MAX_BATCH_IDS)],
        metadata={
            "description": f"Comma-separated organisation ids, 1 to {MAX_BATCH_IDS} "
            "(repeats count once)"
        },
    )


class OrganisationBatch(Schema):
    """The organisations asked for that the caller may see; unknown and hidden ones left out."""

    items = fields.List(fields.Nested(OrganisationOut))


class DirectoryArgs(PageArgs):
    q = fields.String(load_default=None, validate=validate.Length(max=200))
    country = CountryCode(load_default=None)
    park = fields.String(load_default=None, validate=_one_of(PARKS))
    sector = fields.String(load_default=None, validate=_one_of(SECTORS))
    kind = fields.String(load_default=None, validate=_one_of(KINDS))
    lang = fields.String(load_default=None, validate=validate.OneOf(LOCALES))


class DirectoryItem(Schema):
    id = fields.UUID()
    name = fields.String()
    name_zh = fields.String(allow_none=True)
    country = fields.String()
    park = fields.String()
    city = fields.String(allow_none=True)
    kind = fields.String()
    sectors = fields.List(fields.String())
    website = fields.String(allow_none=True)
    description = fields.String(
        allow_none=True, metadata={"description": "Short description in the reader's language"}
    )


DirectoryPage = page_schema(DirectoryItem, name="DirectoryPage")


class VocabularyEntry(Schema):
    code = fields.String()
    labels = fields.Dict(keys=fields.String(), values=fields.String())


class VocabularyOut(Schema):
    sectors = fields.List(fields.Nested(VocabularyEntry))
    kinds = fields.List(fields.Nested(VocabularyEntry))
    parks = fields.List(fields.Nested(VocabularyEntry))
    sizes = fields.List(fields.Nested(VocabularyEntry))
