from rest_framework.routers import SimpleRouter

from catalog.api.views import (
    ChangeViewSet,
    DeviceViewSet,
    DocumentViewSet,
    ManufacturerViewSet,
    PairingViewSet,
    ProtocolViewSet,
    SourceViewSet,
    WebhookEndpointViewSet,
)

router = SimpleRouter()
router.register("manufacturers", ManufacturerViewSet, basename="manufacturer")
router.register("documents", DocumentViewSet, basename="document")
router.register("sources", SourceViewSet, basename="source")
router.register("protocols", ProtocolViewSet, basename="protocol")
router.register("devices", DeviceViewSet, basename="device")
router.register("pairings", PairingViewSet, basename="pairing")
router.register("changes", ChangeViewSet, basename="change")
router.register("webhooks", WebhookEndpointViewSet, basename="webhook")

urlpatterns = router.urls
