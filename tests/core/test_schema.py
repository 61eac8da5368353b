"""The published OpenAPI schema says what the API answers (the schemathesis gate checks every response)."""

import pytest


@pytest.fixture
def schema(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def test_reordering_all_routines_is_documented_as_one_plain_list(schema):
    operation = schema["paths"]["/api/routines/reorder/"]["post"]

    assert operation.get("parameters", []) == []
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert body == {"type": "array", "items": {"$ref": "#/components/schemas/Routine"}}


def test_every_operation_documents_its_errors(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            documented = set(operation["responses"])
            assert {"401", "403"} <= documented, (method, path)
            if "{" in path:
                assert "404" in documented, (method, path)
            if method != "get":
                assert {"400", "429"} <= documented, (method, path)


def test_the_rules_the_api_enforces_are_stated(schema):
    text = str(schema)

    for rule in ("unique", "most 366 days", "exactly once", "first day", "tomorrow"):
        assert rule in text, rule


def test_me_has_no_email_rather_than_an_empty_one(api_alice, alice):
    alice.email = ""
    alice.save()

    assert api_alice.get("/api/me/").json()["email"] is None
