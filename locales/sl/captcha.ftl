# "Znak iz slike": the CAPTCHA of forms (templates/captcha_field.html).
captcha-label = Znak iz slike
captcha-hint = Prepišite znake iz slike in bodite pozorni na velike in male črke. Če slike ne vidite, znake poslušajte.
captcha-image-alt = Slika z znaki za preverjanje
captcha-new = Nova slika
captcha-audio-label = Znaki iz slike kot posnetek
captcha-listen = Poslušaj znake
