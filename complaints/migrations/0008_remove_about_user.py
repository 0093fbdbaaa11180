from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("complaints", "0007_about_staff")]

    operations = [migrations.RemoveField(model_name="complaint", name="about_user")]
