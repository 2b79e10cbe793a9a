"""Pages are French by default, English on request (and remembered)."""


def test_an_english_browser_still_gets_french_until_english_is_asked_for(app):
    client = app.test_client()
    page = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert page.status_code == 200
    assert '<html lang="fr"' in page.get_data(as_text=True)
    english = client.get("/login?lang=en")
    assert '<html lang="en"' in english.get_data(as_text=True)
    remembered = client.get("/login")  # the choice is kept in a cookie
    assert '<html lang="en"' in remembered.get_data(as_text=True)
