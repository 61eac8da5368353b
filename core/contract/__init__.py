"""The registration contract: what an app declares (core.apps.ProductAppConfig, resources),
how the stage names it (naming), and the registry every consumer reads."""
