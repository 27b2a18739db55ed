"""gunicorn reads this file from the working directory at every start of the portal (the image,
docker-compose, ``make demo``, the tests); their command lines name the bind and the workers.
"""

# Keep an idle keep-alive connection open longer than a client, or a proxy in front, waits
# between two requests on it (60 s is the usual proxy default). At gunicorn's default of 2 s a
# connection closed at the moment the client reuses it answers a reset: the load test
# (tests/reliability/test_load.py) met one in about a hundred requests.
keepalive = 75
