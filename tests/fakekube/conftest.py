"""A fresh fake API server per test, and the official Python client configured for it."""

from __future__ import annotations

import pytest

import fakekube


@pytest.fixture
def srv():
    with fakekube.serve() as server:
        yield server


@pytest.fixture
def api_client(srv):
    from kubernetes import client, config

    cfg = client.Configuration()
    config.load_kube_config(config_file=srv.kubeconfig_path, client_configuration=cfg)
    with client.ApiClient(cfg) as api:
        yield api


@pytest.fixture
def core(api_client):
    from kubernetes import client

    return client.CoreV1Api(api_client)


@pytest.fixture
def apps(api_client):
    from kubernetes import client

    return client.AppsV1Api(api_client)
