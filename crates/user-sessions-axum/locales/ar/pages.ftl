# صفحات الحساب: «الجلسات النشطة».
# صيغ الجمع: zero (0)، one (1)، two (2)، few (3–10)، many (11–99)، other.

sessions-title = الجلسات النشطة
sessions-intro = هذه هي المتصفحات والأجهزة التي سُجّل الدخول منها إلى حسابك. إذا لم تتعرّف على أحدها، فأنهِ جلسته.
sessions-count =
    { $count ->
        [zero] لا توجد جلسات نشطة
        [one] جلسة نشطة واحدة
        [two] جلستان نشطتان
        [few] { $count } جلسات نشطة
        [many] { $count } جلسة نشطة
       *[other] { $count } جلسة نشطة
    }
sessions-only-one = هذه هي جلستك النشطة الوحيدة.
sessions-empty = لا توجد جلسات نشطة.

session-current = هذه الجلسة
session-last-activity = آخر نشاط
session-signed-in = تسجيل الدخول
session-location = الموقع
session-ip = عنوان IP
session-user-agent = التعريف الكامل للمتصفح

device-on = { $browser } على { $platform }
device-unknown = جهاز غير معروف
location-unknown = موقع غير معروف
ip-unknown = غير معروف

time-just-now = الآن
time-minutes-ago =
    { $count ->
        [one] منذ دقيقة
        [two] منذ دقيقتين
        [few] منذ { $count } دقائق
        [many] منذ { $count } دقيقة
       *[other] منذ { $count } دقيقة
    }
time-hours-ago =
    { $count ->
        [one] منذ ساعة
        [two] منذ ساعتين
        [few] منذ { $count } ساعات
        [many] منذ { $count } ساعة
       *[other] منذ { $count } ساعة
    }
time-days-ago =
    { $count ->
        [one] أمس
        [two] منذ يومين
        [few] منذ { $count } أيام
        [many] منذ { $count } يومًا
       *[other] منذ { $count } يوم
    }
time-months-ago =
    { $count ->
        [one] منذ شهر
        [two] منذ شهرين
        [few] منذ { $count } أشهر
        [many] منذ { $count } شهرًا
       *[other] منذ { $count } شهر
    }
time-years-ago =
    { $count ->
        [one] منذ سنة
        [two] منذ سنتين
        [few] منذ { $count } سنوات
        [many] منذ { $count } سنة
       *[other] منذ { $count } سنة
    }

action-end = إنهاء الجلسة
action-sign-out = تسجيل الخروج
action-end-others = إنهاء كل الجلسات الأخرى
end-others-hint = يسجّل خروجك من كل المتصفحات والأجهزة الأخرى. يبقى هذا المتصفح مسجّل الدخول.
confirm-password-label = كلمة المرور
confirm-password-hint = أدخل كلمة المرور للتأكيد.
confirm-reauthenticate = حفاظًا على أمانك، سجّل الدخول مجددًا قبل إنهاء جلساتك الأخرى.
confirm-reauthenticate-link = سجّل الدخول مجددًا

flash-ended-one = تم إنهاء الجلسة.
flash-ended-others =
    { $count ->
        [0] لم تكن هناك جلسات أخرى لإنهائها.
        [one] تم إنهاء جلسة أخرى واحدة.
        [two] تم إنهاء جلستين أخريين.
        [few] تم إنهاء { $count } جلسات أخرى.
        [many] تم إنهاء { $count } جلسة أخرى.
       *[other] تم إنهاء { $count } جلسة أخرى.
    }
flash-wrong-password = كلمة المرور غير صحيحة. لم يتم إنهاء أي جلسة.

error-not-found-title = الجلسة غير موجودة
error-not-found = هذه الجلسة غير موجودة أو انتهت بالفعل.
error-forbidden-title = تم رفض الطلب
error-forbidden = تعذّر التحقق من الطلب. أعد تحميل الصفحة وحاول مرة أخرى.
error-unavailable-title = غير متاح مؤقتًا
error-unavailable = لا يمكن عرض الجلسات الآن. حاول مرة أخرى بعد قليل.

nav-back = العودة إلى جلساتك
nav-home = الرئيسية
