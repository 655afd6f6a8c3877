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
session-details = פרטים
session-active-ago = פעילות אחרונה { $ago }

device-on = { $browser } ב־{ $platform }
device-unknown = מכשיר לא ידוע
hints-mobile-yes = נייד: כן
hints-mobile-no = נייד: לא
# Two parts of a browser's description joined ("Chrome on Android, mobile: yes").
hints-joined = { $first }, { $second }
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
notice-dismiss = סגירה
action-end-others = ניתוק כל החיבורים האחרים
end-others-hint = מנתק אותך מכל שאר הדפדפנים והמכשירים. הדפדפן הזה נשאר מחובר.
confirm-password-label = הסיסמה שלך
confirm-password-hint = יש להזין את הסיסמה לאישור.
confirm-reauthenticate = לביטחונך, יש להתחבר מחדש לפני ניתוק החיבורים האחרים.
confirm-reauthenticate-link = התחברות מחדש

flash-ended-one = החיבור נותק.
flash-ended-device = החיבור מ־{ $device } נותק.
flash-ended-others =
    { $count ->
        [0] לא היו חיבורים אחרים לניתוק.
        [one] חיבור אחר אחד נותק.
        [two] שני חיבורים אחרים נותקו.
       *[other] { $count } חיבורים אחרים נותקו.
    }
flash-wrong-password = הסיסמה שגויה. אף חיבור לא נותק.
flash-too-many-passwords = יותר מדי סיסמאות שגויות. אף חיבור לא נותק; יש לנסות שוב בעוד כמה דקות.

error-not-found-title = החיבור לא נמצא
error-not-found = החיבור הזה לא קיים או שכבר נותק.
error-forbidden-title = הבקשה נדחתה
error-forbidden = לא ניתן היה לאמת את הבקשה. יש לטעון מחדש את הדף ולנסות שוב.
error-bad-request-title = בקשה לא תקינה
error-bad-request = לא ניתן היה לקרוא את הטופס שנשלח. יש לטעון מחדש את הדף ולנסות שוב.
error-unavailable-title = לא זמין כרגע
error-unavailable = לא ניתן להציג את החיבורים כרגע. אפשר לנסות שוב בעוד רגע.

nav-back = חזרה לחיבורים שלך
nav-home = דף הבית
nav-signed-in-as = מחובר בתור { $user }

# דפי הניהול: כל החיבורים של כל המשתמשים, לצוות.
# משתנים: $count הוא מספר.

admin-title = כל החיבורים
admin-intro = כל החיבורים של כל המשתמשים. חפשו משתמש או כתובת IP, ונתקו את החיבורים שבחרתם.
admin-search-label = חיפוש
admin-search-submit = חיפוש
admin-search-clear = ניקוי החיפוש
admin-search-hint = שם משתמש, שם או כתובת דוא״ל; או כתובת IP או תחילתה ({ $example }).
admin-search-truncated = יותר מדי משתמשים תואמים; מוצגים רק החיבורים של { $count } הראשונים. חפשו בצורה מדויקת יותר.
admin-filter-status = לפי מצב
admin-filter-all = הכול
admin-filter-active = פעילים
admin-filter-expired = שפג תוקפם
admin-filter-owner = לפי בעלים
admin-filter-everyone = כולם
admin-filter-mine = שלי
admin-filter-user = רק החיבורים של המשתמש הזה:
admin-filter-clear = הצגת כל המשתמשים
admin-column-select = בחירה
admin-column-user = משתמש
admin-column-ip = כתובת IP
admin-column-location = מיקום
admin-column-device = מכשיר
admin-column-last-activity = פעילות אחרונה
admin-column-signed-in = התחברות
admin-column-expires = תפוגה
admin-column-status = מצב
admin-status-valid = בתוקף
admin-status-expired = פג תוקף
admin-anonymous = לא מחובר
admin-select-session = בחירת החיבור הזה
admin-select-all = בחירת כל החיבורים בעמוד הזה
admin-empty = אין חיבורים תואמים.
admin-result-count =
    { $count ->
        [one] חיבור אחד
        [two] שני חיבורים
       *[other] { $count } חיבורים
    }
admin-result-more = יש עוד בעמוד הבא.
admin-pages = עמודים
admin-first-page = העמוד הראשון
admin-next-page = העמוד הבא
admin-action-end-selected = ניתוק החיבורים שנבחרו
admin-action-end-user = ניתוק כל החיבורים של המשתמש הזה
admin-end-user-hint = מנתק את המשתמש הזה מכל הדפדפנים והמכשירים.
admin-action-purge = מחיקת חיבורים שפג תוקפם
admin-purge-hint = אי אפשר עוד להשתמש בחיבורים שפג תוקפם; פעולה זו מוחקת אותם עכשיו ממסד הנתונים.
admin-ended =
    { $count ->
        [0] אף חיבור לא נותק.
        [one] חיבור אחד נותק.
        [two] שני חיבורים נותקו.
       *[other] { $count } חיבורים נותקו.
    }
admin-nothing-selected = לא נבחר אף חיבור.
admin-confirm-title = נא לאשר
admin-confirm-end-selected = 
    { $count ->
        [one] לנתק את החיבור שנבחר?
        [two] לנתק את שני החיבורים שנבחרו?
       *[other] לנתק את { $count } החיבורים שנבחרו?
    }
admin-confirm-end-selected-hint = הדפדפנים שמשתמשים בהם ינותקו בבקשה הבאה שלהם.
admin-confirm-end-user = 
    { $count ->
        [0] אין ל־{ $user } חיבורים.
        [one] לנתק את החיבור היחיד של { $user }?
        [two] לנתק את שני החיבורים של { $user }?
       *[other] לנתק את כל { $count } החיבורים של { $user }?
    }
admin-confirm-end-user-hint = המשתמש ינותק מכל הדפדפנים והמכשירים.
admin-confirm-purge = 
    { $count ->
        [0] אין חיבורים שפג תוקפם.
        [one] למחוק את החיבור היחיד שפג תוקפו?
        [two] למחוק שני חיבורים שפג תוקפם?
       *[other] למחוק { $count } חיבורים שפג תוקפם?
    }
admin-confirm-purge-hint = אי אפשר עוד להשתמש בחיבורים שפג תוקפם; פעולה זו מוחקת אותם עכשיו ממסד הנתונים.
admin-confirm-button-end = 
    { $count ->
        [one] ניתוק חיבור אחד
        [two] ניתוק שני חיבורים
       *[other] ניתוק { $count } חיבורים
    }
admin-confirm-button-purge = 
    { $count ->
        [one] מחיקת חיבור אחד
        [two] מחיקת שני חיבורים
       *[other] מחיקת { $count } חיבורים
    }
admin-confirm-cancel = ביטול
admin-detail-title = פרטי החיבור
admin-back = חזרה לכל החיבורים
admin-field-user = משתמש
admin-field-user-id = מזהה משתמש
admin-field-public-id = מזהה ציבורי
admin-field-ip = כתובת IP
admin-field-location = מיקום
admin-field-user-agent = זיהוי הדפדפן
admin-field-client-hints = רמזי לקוח
admin-field-created = נוצר
admin-field-last-activity = פעילות אחרונה
admin-field-signed-in = התחברות
admin-field-expires = תפוגה
admin-data-title = נתוני החיבור
admin-data-key = מפתח
admin-data-value = ערך
admin-data-hidden = מוסתר
admin-data-empty = החיבור הזה אינו מכיל נתונים.
admin-action-end-one = ניתוק החיבור הזה
admin-forbidden-title = לצוות בלבד
admin-forbidden = רק חברי צוות רשאים לראות את החיבורים של כל המשתמשים.
admin-bad-request-title = בקשה לא תקינה
admin-bad-request = הכתובת של הדף הזה אינה תקינה. התחילו מחדש מרשימת החיבורים.
