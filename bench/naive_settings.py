"""Settings of the naive DRF anchor (``bench/naive.py``): the service's database and apps, Django's
default middleware, and the naive URLconf instead of the product's. Used only by ``bench/run.py``."""

from omnitron.settings import *  # noqa: F403

ROOT_URLCONF = "bench.naive"
WSGI_APPLICATION = "bench.naive_wsgi.application"
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
