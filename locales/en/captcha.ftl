# "Znak iz slike": the CAPTCHA of forms (templates/captcha_field.html).
captcha-label = Characters from the picture
captcha-hint = Type the characters from the picture, minding upper and lower case. If you cannot see the picture, listen to them. The recording is in Slovenian: "veliki" is upper case, "mali" lower case, and "tri", "štiri", "sedem", "devet" are 3, 4, 7, 9.
captcha-image-alt = Picture of characters for the check
captcha-new = New picture
captcha-audio-label = The characters from the picture as a recording
captcha-listen = Listen to the characters
