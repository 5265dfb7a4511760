from rest_framework.routers import SimpleRouter

from catalog.api.views import DeviceViewSet, ManufacturerViewSet

router = SimpleRouter()
router.register("manufacturers", ManufacturerViewSet, basename="manufacturer")
router.register("devices", DeviceViewSet, basename="device")

urlpatterns = router.urls
