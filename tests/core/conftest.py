"""Until pytest-xdist is installed with the suite (it registers ``xdist_group`` itself), the marker
the devserver tests carry is registered here, so ``--strict-markers`` accepts it."""


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "xdist_group(name): run in one xdist worker with the group's other tests"
    )
