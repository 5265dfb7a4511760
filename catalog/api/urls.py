from rest_framework.routers import SimpleRouter

from catalog.api.views import DeviceViewSet, ManufacturerViewSet, ProtocolViewSet

router = SimpleRouter()
router.register("manufacturers", ManufacturerViewSet, basename="manufacturer")
router.register("devices", DeviceViewSet, basename="device")
router.register("protocols", ProtocolViewSet, basename="protocol")

urlpatterns = router.urls
