from django.db import migrations, models


def mark_login_tokens(apps, schema_editor):
    """Tokens the login endpoint issued so far were all named "login"."""
    APIToken = apps.get_model("omnitron", "APIToken")
    APIToken.objects.filter(name="login").update(kind="login")


class Migration(migrations.Migration):
    dependencies = [
        ("omnitron", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="kind",
            field=models.CharField(
                choices=[("login", "Login"), ("integration", "Integration")],
                default="integration",
                editable=False,
                help_text="Login: issued by the login endpoint. Integration: made on purpose, with its own quota.",
                max_length=20,
            ),
        ),
        migrations.RunPython(mark_login_tokens, migrations.RunPython.noop),
    ]
