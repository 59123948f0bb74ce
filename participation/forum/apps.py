from django.apps import AppConfig


class ForumConfig(AppConfig):
    """The Forum ouvert: calls for applications (AMI), their review, members and meetings."""

    name = "participation.forum"
    label = "forum"
    verbose_name = "Forum ouvert"
