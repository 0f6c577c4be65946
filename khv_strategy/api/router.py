"""The REST API's router: every endpoint under /api/v1/ is registered here."""

from rest_framework.routers import DefaultRouter

from activities.api import views as activities

router = DefaultRouter()
router.register("departments", activities.DepartmentViewSet)
router.register("plans", activities.PlanViewSet)
router.register("sections", activities.SectionViewSet)
router.register("goals", activities.GoalViewSet)
router.register("tasks", activities.TaskViewSet)
router.register("measures", activities.MeasureViewSet)
router.register("expected-results", activities.ExpectedResultViewSet)
