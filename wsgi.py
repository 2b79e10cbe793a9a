"""What gunicorn serves (`gunicorn wsgi:app`, `callq serve`): the app, built in each worker,
which loads the classifier's dictionary before its first request (callq.placement.warm)."""

from callq.app import create_app
from callq.placement import warm

app = create_app()
warm(app.extensions["callq"])
