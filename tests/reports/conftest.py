from tests.engagements.conftest import commitment, plan  # noqa: F401 (shared fixtures)
