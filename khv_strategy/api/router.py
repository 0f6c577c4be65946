"""The REST API's router: every endpoint under /api/v1/ is registered here."""

from rest_framework.routers import DefaultRouter

from activities.api import views as activities
from indicators.api import views as indicators
from partners.api import views as partners

router = DefaultRouter()
router.register("departments", activities.DepartmentViewSet)
router.register("plans", activities.PlanViewSet)
router.register("sections", activities.SectionViewSet)
router.register("goals", activities.GoalViewSet)
router.register("tasks", activities.TaskViewSet)
router.register("measures", activities.MeasureViewSet)
router.register("expected-results", activities.ExpectedResultViewSet)
router.register("reports", activities.ProgressReportViewSet, basename="progressreport")

router.register("partner-cities", partners.PartnerCityViewSet)
router.register("partner-organisations", partners.PartnerOrganisationViewSet)
router.register("agreements", partners.AgreementViewSet)
router.register("delegations", partners.DelegationViewSet)
router.register("exchanges", partners.ExchangeViewSet)
router.register("events", partners.EventViewSet)

router.register("indicators", indicators.IndicatorViewSet)
router.register("targets", indicators.TargetViewSet)
router.register("indicator-values", indicators.IndicatorValueViewSet, basename="indicatorvalue")
