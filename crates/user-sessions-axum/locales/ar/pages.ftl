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
session-details = التفاصيل
session-active-ago = آخر نشاط { $ago }

device-on = { $browser } على { $platform }
device-unknown = جهاز غير معروف
hints-mobile-yes = جوال: نعم
hints-mobile-no = جوال: لا
# Two parts of a browser's description joined ("Chrome on Android, mobile: yes").
hints-joined = { $first }، { $second }
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
notice-dismiss = تجاهل
action-end-others = إنهاء كل الجلسات الأخرى
end-others-hint = يسجّل خروجك من كل المتصفحات والأجهزة الأخرى. يبقى هذا المتصفح مسجّل الدخول.
confirm-password-label = كلمة المرور
confirm-password-hint = أدخل كلمة المرور للتأكيد.
confirm-reauthenticate = حفاظًا على أمانك، سجّل الدخول مجددًا قبل إنهاء جلساتك الأخرى.
confirm-reauthenticate-link = سجّل الدخول مجددًا

flash-ended-one = تم إنهاء الجلسة.
flash-ended-device = تم تسجيل خروج { $device }.
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
flash-too-many-passwords = عدد كبير جدًا من كلمات المرور الخاطئة. لم يتم إنهاء أي جلسة؛ حاول مرة أخرى بعد بضع دقائق.

error-not-found-title = الجلسة غير موجودة
error-not-found = هذه الجلسة غير موجودة أو انتهت بالفعل.
error-forbidden-title = تم رفض الطلب
error-forbidden = تعذّر التحقق من الطلب. أعد تحميل الصفحة وحاول مرة أخرى.
error-bad-request-title = طلب غير صالح
error-bad-request = تعذّرت قراءة النموذج المُرسَل. أعد تحميل الصفحة وحاول مرة أخرى.
error-unavailable-title = غير متاح مؤقتًا
error-unavailable = لا يمكن عرض الجلسات الآن. حاول مرة أخرى بعد قليل.

nav-back = العودة إلى جلساتك
nav-home = الرئيسية
nav-signed-in-as = مسجّل الدخول باسم { $user }

# صفحات الإدارة: كل جلسات كل المستخدمين، لفريق العمل.
# المتغيرات: $count رقم.

admin-title = كل الجلسات
admin-intro = كل جلسات كل المستخدمين. ابحث عن مستخدم أو عنوان IP، وأنهِ الجلسات التي تحددها.
admin-search-label = بحث
admin-search-submit = ابحث
admin-search-clear = مسح البحث
admin-search-hint = اسم مستخدم أو اسم أو بريد إلكتروني؛ أو عنوان IP أو بدايته ({ $example }).
admin-search-truncated = يطابق البحث عددًا كبيرًا جدًا من المستخدمين؛ تُعرض جلسات أول { $count } فقط. حدّد البحث أكثر.
admin-filter-status = حسب الحالة
admin-filter-all = الكل
admin-filter-active = النشطة
admin-filter-expired = المنتهية
admin-filter-owner = حسب المالك
admin-filter-everyone = الجميع
admin-filter-mine = جلساتي
admin-filter-user = جلسات هذا المستخدم فقط:
admin-filter-clear = عرض كل المستخدمين
admin-column-select = تحديد
admin-column-user = المستخدم
admin-column-ip = عنوان IP
admin-column-location = الموقع
admin-column-device = الجهاز
admin-column-last-activity = آخر نشاط
admin-column-signed-in = تسجيل الدخول
admin-column-expires = تنتهي
admin-column-status = الحالة
admin-status-valid = صالحة
admin-status-expired = منتهية
admin-anonymous = لم يسجّل الدخول
admin-select-session = تحديد هذه الجلسة
admin-select-all = تحديد كل الجلسات في هذه الصفحة
admin-empty = لا توجد جلسات مطابقة.
admin-result-count =
    { $count ->
        [zero] لا جلسات
        [one] جلسة واحدة
        [two] جلستان
        [few] { $count } جلسات
        [many] { $count } جلسة
       *[other] { $count } جلسة
    }
admin-result-more = المزيد في الصفحة التالية.
admin-pages = الصفحات
admin-first-page = الصفحة الأولى
admin-next-page = الصفحة التالية
admin-action-end-selected = إنهاء الجلسات المحددة
admin-action-end-user = إنهاء كل جلسات هذا المستخدم
admin-end-user-hint = يسجّل خروج هذا المستخدم من كل المتصفحات والأجهزة.
admin-action-purge = حذف الجلسات المنتهية
admin-purge-hint = لم يعد بالإمكان استخدام الجلسات المنتهية؛ هذا يحذفها الآن من قاعدة البيانات.
admin-ended =
    { $count ->
        [0] لم يتم إنهاء أي جلسة.
        [one] تم إنهاء جلسة واحدة.
        [two] تم إنهاء جلستين.
        [few] تم إنهاء { $count } جلسات.
        [many] تم إنهاء { $count } جلسة.
       *[other] تم إنهاء { $count } جلسة.
    }
admin-nothing-selected = لم يتم تحديد أي جلسة.
admin-confirm-title = يرجى التأكيد
admin-confirm-end-selected = 
    { $count ->
        [one] إنهاء الجلسة المحددة؟
        [two] إنهاء الجلستين المحددتين؟
        [few] إنهاء { $count } جلسات محددة؟
       *[other] إنهاء { $count } جلسة محددة؟
    }
admin-confirm-end-selected-hint = يُسجَّل خروج المتصفحات التي تستخدمها عند طلبها التالي.
admin-confirm-end-user = 
    { $count ->
        [0] لا توجد جلسات لـ { $user }.
        [one] إنهاء الجلسة الوحيدة لـ { $user }؟
        [two] إنهاء جلستي { $user }؟
        [few] إنهاء كل جلسات { $user } الـ { $count }؟
       *[other] إنهاء كل جلسات { $user } الـ { $count }؟
    }
admin-confirm-end-user-hint = يُسجَّل خروجه من كل المتصفحات والأجهزة.
admin-confirm-purge = 
    { $count ->
        [0] لا توجد جلسات منتهية الصلاحية.
        [one] حذف الجلسة المنتهية الوحيدة؟
        [two] حذف الجلستين المنتهيتين؟
        [few] حذف { $count } جلسات منتهية؟
       *[other] حذف { $count } جلسة منتهية؟
    }
admin-confirm-purge-hint = لم يعد ممكنًا استخدام الجلسات المنتهية؛ هذا يحذفها الآن من قاعدة البيانات.
admin-confirm-button-end = 
    { $count ->
        [one] إنهاء جلسة واحدة
        [two] إنهاء جلستين
        [few] إنهاء { $count } جلسات
       *[other] إنهاء { $count } جلسة
    }
admin-confirm-button-purge = 
    { $count ->
        [one] حذف جلسة واحدة
        [two] حذف جلستين
        [few] حذف { $count } جلسات
       *[other] حذف { $count } جلسة
    }
admin-confirm-cancel = إلغاء
admin-detail-title = تفاصيل الجلسة
admin-back = العودة إلى كل الجلسات
admin-field-user = المستخدم
admin-field-user-id = معرّف المستخدم
admin-field-public-id = المعرّف العام
admin-field-ip = عنوان IP
admin-field-location = الموقع
admin-field-user-agent = تعريف المتصفح
admin-field-client-hints = تلميحات العميل
admin-field-created = أُنشئت
admin-field-last-activity = آخر نشاط
admin-field-signed-in = تسجيل الدخول
admin-field-expires = تنتهي
admin-data-title = بيانات الجلسة
admin-data-key = المفتاح
admin-data-value = القيمة
admin-data-hidden = مخفية
admin-data-empty = لا تحتوي هذه الجلسة على بيانات.
admin-action-end-one = إنهاء هذه الجلسة
admin-forbidden-title = لفريق العمل فقط
admin-forbidden = يمكن لأعضاء فريق العمل فقط رؤية جلسات كل المستخدمين.
admin-bad-request-title = طلب غير صالح
admin-bad-request = عنوان هذه الصفحة غير صالح. ابدأ من جديد من قائمة الجلسات.
