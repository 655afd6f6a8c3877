# דפי החשבון: "חיבורים פעילים".
# צורות רבים: one (1), two (2), other.

sessions-title = חיבורים פעילים
sessions-intro = אלה הדפדפנים והמכשירים שמחוברים לחשבון שלך. אם אינך מזהה אחד מהם, יש לנתק אותו.
sessions-count =
    { $count ->
        [one] חיבור פעיל אחד
        [two] שני חיבורים פעילים
       *[other] { $count } חיבורים פעילים
    }
sessions-only-one = זה החיבור הפעיל היחיד שלך.
sessions-empty = אין חיבורים פעילים.

session-current = החיבור הזה
session-last-activity = פעילות אחרונה
session-signed-in = התחברות
session-location = מיקום
session-ip = כתובת IP
session-user-agent = זיהוי הדפדפן המלא

device-on = { $browser } ב־{ $platform }
device-unknown = מכשיר לא ידוע
location-unknown = מיקום לא ידוע
ip-unknown = לא ידועה

time-just-now = הרגע
time-minutes-ago =
    { $count ->
        [one] לפני דקה
        [two] לפני שתי דקות
       *[other] לפני { $count } דקות
    }
time-hours-ago =
    { $count ->
        [one] לפני שעה
        [two] לפני שעתיים
       *[other] לפני { $count } שעות
    }
time-days-ago =
    { $count ->
        [one] אתמול
        [two] לפני יומיים
       *[other] לפני { $count } ימים
    }
time-months-ago =
    { $count ->
        [one] לפני חודש
        [two] לפני חודשיים
       *[other] לפני { $count } חודשים
    }
time-years-ago =
    { $count ->
        [one] לפני שנה
        [two] לפני שנתיים
       *[other] לפני { $count } שנים
    }

action-end = ניתוק
action-sign-out = התנתקות
action-end-others = ניתוק כל החיבורים האחרים
end-others-hint = מנתק אותך מכל שאר הדפדפנים והמכשירים. הדפדפן הזה נשאר מחובר.
confirm-password-label = הסיסמה שלך
confirm-password-hint = יש להזין את הסיסמה לאישור.
confirm-reauthenticate = לביטחונך, יש להתחבר מחדש לפני ניתוק החיבורים האחרים.
confirm-reauthenticate-link = התחברות מחדש

flash-ended-one = החיבור נותק.
flash-ended-others =
    { $count ->
        [0] לא היו חיבורים אחרים לניתוק.
        [one] חיבור אחר אחד נותק.
        [two] שני חיבורים אחרים נותקו.
       *[other] { $count } חיבורים אחרים נותקו.
    }
flash-wrong-password = הסיסמה שגויה. אף חיבור לא נותק.

error-not-found-title = החיבור לא נמצא
error-not-found = החיבור הזה לא קיים או שכבר נותק.
error-forbidden-title = הבקשה נדחתה
error-forbidden = לא ניתן היה לאמת את הבקשה. יש לטעון מחדש את הדף ולנסות שוב.
error-unavailable-title = לא זמין כרגע
error-unavailable = לא ניתן להציג את החיבורים כרגע. אפשר לנסות שוב בעוד רגע.

nav-back = חזרה לחיבורים שלך
nav-home = דף הבית
