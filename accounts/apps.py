from core.apps import ProductAppConfig


class AccountsConfig(ProductAppConfig):
    name = "accounts"
    verbose_name = "Accounts"
    url_prefix = "account/"
    api_urls_module = "accounts.api_urls"
    api_root_entries = {"me": "api-me", "me-export": "api-me-export"}
    # The user row itself is deleted by accounts.services.user_delete, after every app's deleter.
    account_exporter = "accounts.user_data.user_data_export"
    account_deleter = "accounts.user_data.user_data_delete"
