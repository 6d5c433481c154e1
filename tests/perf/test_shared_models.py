"""botocore's JSON models are parsed once per process: Loaders of one class share them, moto's keeps its own."""

from __future__ import annotations

from botocore.loaders import Loader, create_loader

from cognito_tui import accel


def test_loaders_share_what_they_loaded_and_moto_keeps_its_extras():
    accel.share_botocore_models()
    accel.share_botocore_models()  # twice: patched once
    first = Loader().load_service_model("cognito-idp", "service-2")
    assert create_loader().load_service_model("cognito-idp", "service-2") is first
    assert Loader().load_data_with_path("endpoints")[0] is create_loader().load_data("endpoints")
    assert "InitiateAuth" in first["operations"]

    from moto.core.loaders import create_loader as moto_loader

    theirs = moto_loader().load_service_model("cognito-idp", "service-2")
    assert theirs is not first  # moto adds its extras to its own copy
    assert moto_loader().load_service_model("cognito-idp", "service-2") is theirs
