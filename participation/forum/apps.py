from django.apps import AppConfig


class ForumConfig(AppConfig):
    """The Forum ouvert: calls for applications (AMI), their review, members and meetings."""

    name = "participation.forum"
    label = "forum"
    verbose_name = "Forum ouvert"

    def ready(self):
        from forum_ouvert.core.search import register_search_kinds

        from .search import KINDS

        register_search_kinds(KINDS)
