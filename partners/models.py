import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.cache import watched
from core.history import HistoricalRecords
from core.uploads import UploadValidator


class Level(models.TextChoices):
    MUNICIPAL = "municipal", _("municipal")
    REGIONAL = "regional", _("regional")
    INTERREGIONAL = "interregional", _("interregional")
    INTERNATIONAL = "international", _("international")


class OwnedRecord(models.Model):
    """A partner record kept by one department; its staff edit it (see partners/rules.py)."""

    department = models.ForeignKey(
        "activities.Department",
        verbose_name=_("department keeping the record"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    class Meta:
        abstract = True


@watched
class PartnerCity(OwnedRecord):
    class Status(models.TextChoices):
        SISTER = "sister", _("sister city")
        PARTNER = "partner", _("partner city")
        SUSPENDED = "suspended", _("cooperation suspended")

    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    country = CountryField(_("country"))
    region = models.CharField(_("region, province or state"), max_length=200, blank=True)
    sister_city_since = models.DateField(_("sister city since"), null=True, blank=True)
    # Some agreements are known only by year (e.g. Bucheon, 2002); the date is then 1 January.
    since_year_only = models.BooleanField(_("only the year is known"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PARTNER
    )
    # Where the city is on the partner map (degrees, WGS 84); both or neither.
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=7,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(-90, _("The latitude must be between -90 and 90 degrees.")),
            MaxValueValidator(90, _("The latitude must be between -90 and 90 degrees.")),
        ],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=7,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(-180, _("The longitude must be between -180 and 180 degrees.")),
            MaxValueValidator(180, _("The longitude must be between -180 and 180 degrees.")),
        ],
    )
    measures = models.ManyToManyField(
        "activities.Measure",
        verbose_name=_("measures"),
        blank=True,
        related_name="partner_cities",
    )
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[measures])

    class Meta:
        verbose_name = _("partner city")
        verbose_name_plural = _("partner cities")
        ordering = ["name_ru"]
        constraints = [
            models.UniqueConstraint(fields=["name_ru", "country"], name="partner_city_unique"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="partner_city_coordinates_on_the_globe",
            ),
        ]

    def __str__(self):
        return self.name_ru

    def get_absolute_url(self):
        return reverse("partners:city_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.since_year_only and self.sister_city_since is None:
            errors["sister_city_since"] = _("Enter the year the cities became sister cities.")
        if (self.latitude is None) != (self.longitude is None):
            missing = "latitude" if self.latitude is None else "longitude"
            errors[missing] = _("Enter both the latitude and the longitude, or neither.")
        if errors:
            raise ValidationError(errors)

    @property
    def has_coordinates(self):
        return self.latitude is not None and self.longitude is not None


@watched
class PartnerOrganisation(OwnedRecord):
    class Kind(models.TextChoices):
        UNIVERSITY = "university", _("university or research institute")
        BUSINESS = "business", _("business")
        AUTHORITY = "authority", _("public authority")
        NGO = "ngo", _("non-governmental organisation")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    country = CountryField(_("country"))
    city = models.ForeignKey(
        PartnerCity,
        verbose_name=_("city"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organisations",
    )
    city_name = models.CharField(_("city (if not a partner city)"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    measures = models.ManyToManyField(
        "activities.Measure",
        verbose_name=_("measures"),
        blank=True,
        related_name="partner_organisations",
    )
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[measures])

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="partner_organisation_unique"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partners:organisation_detail", args=[self.pk])


EXPIRY_WARNING_DAYS = 90


def _expiring_q(today, days):
    return Q(
        status=Agreement.Status.IN_FORCE,
        valid_until__gte=today,
        valid_until__lte=today + datetime.timedelta(days=days),
    )


def _expired_q(today):
    return Q(valid_until__lt=today) & ~Q(status=Agreement.Status.TERMINATED)


class AgreementQuerySet(models.QuerySet):
    def expiring(self, today, days=EXPIRY_WARNING_DAYS):
        """In force, with an end date within `days` from today."""
        return self.filter(_expiring_q(today, days))

    def expired(self, today):
        """Past their end date, unless terminated early."""
        return self.filter(_expired_q(today))

    def with_expiry(self, today, days=EXPIRY_WARNING_DAYS):
        """Annotate `is_expiring` and `is_expired` with the same rules as expiring()/expired()."""
        return self.annotate(
            is_expiring=models.ExpressionWrapper(
                _expiring_q(today, days), output_field=models.BooleanField()
            ),
            is_expired=models.ExpressionWrapper(
                _expired_q(today), output_field=models.BooleanField()
            ),
        )


@watched
class Agreement(OwnedRecord):
    class Kind(models.TextChoices):
        SISTER_CITY = "sister_city", _("sister-city agreement")
        COOPERATION = "cooperation", _("cooperation agreement")
        MEMORANDUM = "memorandum", _("memorandum")
        PROGRAMME = "programme", _("programme")
        PROTOCOL = "protocol", _("protocol")

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("in force")
        EXPIRED = "expired", _("expired")
        TERMINATED = "terminated", _("terminated")

    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    partner_cities = models.ManyToManyField(
        PartnerCity, verbose_name=_("partner cities"), blank=True, related_name="agreements"
    )
    partner_organisations = models.ManyToManyField(
        PartnerOrganisation,
        verbose_name=_("partner organisations"),
        blank=True,
        related_name="agreements",
    )
    parties = models.TextField(_("parties"), blank=True)
    signed_on = models.DateField(_("signed on"), db_index=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.IN_FORCE
    )
    document = models.FileField(
        _("document"), upload_to="agreements/%Y/", blank=True, validators=[UploadValidator()]
    )
    measures = models.ManyToManyField(
        "activities.Measure", verbose_name=_("measures"), blank=True, related_name="agreements"
    )
    history = HistoricalRecords(
        excluded_fields=["updated_at"], m2m_fields=[partner_cities, partner_organisations, measures]
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-signed_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("signed_on")),
                name="agreement_valid_until_not_before_signed_on",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("partners:agreement_detail", args=[self.pk])

    @property
    def picker_label(self):
        """The agreement told apart from its namesakes: its partner cities first (load them
        with prefetch_related("partner_cities"))."""
        cities = ", ".join(city.name_ru for city in self.partner_cities.all())
        return f"{cities}: {self.title}" if cities else self.title

    def clean(self):
        if self.signed_on and self.valid_until and self.valid_until < self.signed_on:
            raise ValidationError(
                {"valid_until": _("The agreement cannot end before the date it was signed.")}
            )


@watched
class Delegation(OwnedRecord):
    class Direction(models.TextChoices):
        INCOMING = "incoming", _("incoming delegation")
        OUTGOING = "outgoing", _("outgoing delegation")

    direction = models.CharField(_("direction"), max_length=16, choices=Direction.choices)
    partner_city = models.ForeignKey(
        PartnerCity,
        verbose_name=_("partner city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegations",
    )
    partner_organisation = models.ForeignKey(
        PartnerOrganisation,
        verbose_name=_("partner organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegations",
    )
    # Delegations from other Russian regions often have no partner record; the origin names them.
    origin = models.CharField(_("origin (region or city)"), max_length=200, blank=True)
    country = CountryField(_("country"))
    start_date = models.DateField(_("start date"), db_index=True)
    end_date = models.DateField(_("end date"))
    headcount = models.PositiveIntegerField(_("headcount"))
    purpose = models.TextField(_("purpose"))
    measures = models.ManyToManyField(
        "activities.Measure", verbose_name=_("measures"), blank=True, related_name="delegations"
    )
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[measures])

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="delegation_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(headcount__gt=0), name="delegation_headcount_positive"
            ),
            models.CheckConstraint(
                condition=Q(direction="outgoing")
                | Q(partner_city__isnull=False)
                | Q(partner_organisation__isnull=False)
                | ~Q(origin=""),
                name="incoming_delegation_has_partner",
            ),
        ]

    def __str__(self):
        return f"{self.get_direction_display()} {self.start_date:%d.%m.%Y}"

    def get_absolute_url(self):
        return reverse("partners:delegation_detail", args=[self.pk])

    def clean(self):
        # The same rules as the database constraints, with messages an official can act on.
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The visit cannot end before it starts.")
        if self.headcount is not None and self.headcount <= 0:
            errors["headcount"] = _("The headcount must be a positive number.")
        if (
            self.direction == self.Direction.INCOMING
            and self.partner_city_id is None
            and self.partner_organisation_id is None
            and not self.origin
        ):
            errors["partner_city"] = _(
                "Say where an incoming delegation came from: a partner city, "
                "a partner organisation or the origin."
            )
        if errors:
            raise ValidationError(errors)


@watched
class Exchange(OwnedRecord):
    """Residents of Khabarovsk trained or interned abroad (or in other Russian cities)."""

    class Category(models.TextChoices):
        STUDENTS = "students", _("students")
        TEACHERS = "teachers", _("teachers")
        RESEARCHERS = "researchers", _("researchers")
        SPECIALISTS = "specialists", _("specialists")
        OFFICIALS = "officials", _("municipal officials")
        ENTREPRENEURS = "entrepreneurs", _("entrepreneurs")

    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    headcount = models.PositiveIntegerField(_("headcount"))
    host_city = models.ForeignKey(
        PartnerCity,
        verbose_name=_("host city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exchanges",
    )
    host_organisation = models.ForeignKey(
        PartnerOrganisation,
        verbose_name=_("host organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exchanges",
    )
    host = models.CharField(_("host (as named in the report)"), max_length=300, blank=True)
    country = CountryField(_("country"))
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    description = models.TextField(_("description"), blank=True)
    measures = models.ManyToManyField(
        "activities.Measure", verbose_name=_("measures"), blank=True, related_name="exchanges"
    )
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[measures])

    class Meta:
        verbose_name = _("exchange, training or internship")
        verbose_name_plural = _("exchanges, trainings and internships")
        ordering = ["-year", "category"]
        constraints = [
            models.CheckConstraint(
                condition=Q(headcount__gt=0), name="exchange_headcount_positive"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1900) & Q(year__lte=2100), name="exchange_year_plausible"
            ),
            models.CheckConstraint(
                condition=Q(host_city__isnull=False)
                | Q(host_organisation__isnull=False)
                | ~Q(host=""),
                name="exchange_has_host",
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()}, {self.year}: {self.headcount}"

    def get_absolute_url(self):
        return reverse("partners:exchange_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.headcount is not None and self.headcount <= 0:
            errors["headcount"] = _("The headcount must be a positive number.")
        if self.year is not None and not 1900 <= self.year <= 2100:
            errors["year"] = _("Enter a year between 1900 and 2100.")
        if self.host_city_id is None and self.host_organisation_id is None and not self.host:
            errors["host"] = _("Name the host: a partner city, a partner organisation or the host.")
        if errors:
            raise ValidationError(errors)


@watched
class Event(OwnedRecord):
    """An exhibition, conference, forum or seminar the city organised or attended."""

    class Kind(models.TextChoices):
        EXHIBITION = "exhibition", _("exhibition")
        CONFERENCE = "conference", _("conference")
        FORUM = "forum", _("forum")
        SEMINAR = "seminar", _("seminar")
        FESTIVAL = "festival", _("festival")
        MEETING = "meeting", _("meeting")

    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    start_date = models.DateField(_("start date"), db_index=True)
    end_date = models.DateField(_("end date"))
    place = models.CharField(_("place"), max_length=300)
    country = CountryField(_("country"))
    partner_cities = models.ManyToManyField(
        PartnerCity, verbose_name=_("partner cities"), blank=True, related_name="events"
    )
    participants = models.PositiveIntegerField(
        _("participants from Khabarovsk"), null=True, blank=True
    )
    # The plan's "exchange of experience in solving social tasks" is measured by these events.
    social_sphere = models.BooleanField(_("on social questions"), default=False)
    measures = models.ManyToManyField(
        "activities.Measure", verbose_name=_("measures"), blank=True, related_name="events"
    )
    history = HistoricalRecords(
        excluded_fields=["updated_at"], m2m_fields=[partner_cities, measures]
    )

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="event_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(participants__isnull=True) | Q(participants__gt=0),
                name="event_participants_positive",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("partners:event_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The event cannot end before it starts.")
        if self.participants is not None and self.participants <= 0:
            errors["participants"] = _("The number of participants must be positive.")
        if errors:
            raise ValidationError(errors)
