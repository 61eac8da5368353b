from core.apps import ProductAppConfig


class AccountsConfig(ProductAppConfig):
    name = "accounts"
    verbose_name = "Accounts"
    url_prefix = "account/"
    api_urls_module = "accounts.api_urls"
    api_root_entries = {"me": "api-me"}
