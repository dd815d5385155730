// Safetensors reader/writer: every malformed file is refused with a message naming the file and the
// problem; every dtype round-trips; aligned tensors are zero-copy views, unaligned ones copies.

#include "pipeline/errors.h"
#include "pipeline/io/safetensors.h"
#include "pipeline/sparse_checkpoint.h"

#include <ATen/ATen.h>

#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <fstream>

#include <csignal>
#include <sys/resource.h>
#include <unistd.h>

using namespace kaskade;
using kaskade::test::entry;
using kaskade::test::object;
using kaskade::test::rawFile;

namespace {

void writeBytes(const std::filesystem::path& path, const std::string& bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

} // namespace

class TestSafetensors : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir dir_;
    std::filesystem::path file(const char* name) const
    {
        return std::filesystem::path(dir_.path().toStdString()) / name;
    }

private Q_SLOTS:
    void malformed_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("problem");
        auto add = [](const char* tag, const std::string& bytes, const char* problem) {
            QTest::newRow(tag) << QByteArray(bytes.data(), qsizetype(bytes.size())) << QString(problem);
        };
        const std::string u8x4 = entry("a", "U8", "[4]", 0, 4);
        add("empty file", "", "empty file");
        add("shorter than 8 bytes", std::string("\x02\0\0", 3), "too short");
        add("header length larger than file", rawFile("{}", "", 1000), "larger than the file");
        add("header over 100 MB", rawFile("{}", "", 200'000'000), "100 MB");
        add("header not JSON", rawFile("{\"a\": [1, "), "not valid JSON");
        add("header not UTF-8 JSON", rawFile("{\"\xff\xfe\":1}"), "not valid JSON");
        add("header not an object", rawFile("[1, 2]"), "not a JSON object");
        add("entry not an object", rawFile("{\"a\": 3}"), "entry is not an object");
        add("field missing", rawFile("{\"a\":{\"dtype\":\"U8\",\"shape\":[4]}}", "abcd"), "'data_offsets' is missing");
        add("unknown dtype", rawFile(object({entry("a", "F8_E4M3", "[4]", 0, 4)}), "abcd"), "unknown dtype");
        add("dtype not a string", rawFile("{\"a\":{\"dtype\":4,\"shape\":[4],\"data_offsets\":[0,4]}}", "abcd"),
            "dtype is not a string");
        add("negative dimension", rawFile(object({entry("a", "U8", "[-4]", 0, 4)}), "abcd"), "non-negative");
        add("fractional dimension", rawFile(object({entry("a", "U8", "[4.0]", 0, 4)}), "abcd"), "non-negative");
        add("string dimension", rawFile(object({entry("a", "U8", "[\"4\"]", 0, 4)}), "abcd"), "non-negative");
        add("shape not an array", rawFile(object({entry("a", "U8", "4", 0, 4)}), "abcd"), "shape is not an array");
        add("data_offsets one int", rawFile("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[4]}}", "abcd"),
            "not two non-negative integers");
        add("data_offsets negative",
            rawFile("{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[-1,3]}}", "abcd"),
            "not two non-negative integers");
        add("data_offsets reversed", rawFile(object({entry("a", "U8", "[0]", 4, 0)}), "abcd"), "end < begin");
        add("shape x dtype != range", rawFile(object({entry("a", "F32", "[2]", 0, 4)}), "abcd"), "needs 8 bytes");
        add("zero-size with bytes", rawFile(object({entry("a", "F32", "[0, 3]", 0, 4)}), "abcd"), "needs 0 bytes");
        add("shape overflows", rawFile(object({entry("a", "F64", "[4294967296, 4294967296]", 0, 4)}), "abcd"),
            "too many");
        add("range out of bounds", rawFile(object({entry("a", "U8", "[8]", 0, 8)}), "abcd"), "out of bounds");
        add("overlapping ranges",
            rawFile(object({entry("a", "U8", "[4]", 0, 4), entry("b", "U8", "[4]", 2, 6)}), "abcdef"), "overlaps");
        add("gap between ranges",
            rawFile(object({entry("a", "U8", "[2]", 0, 2), entry("b", "U8", "[2]", 4, 6)}), "abcdef"),
            "gap of 2 bytes");
        add("gap at the start", rawFile(object({entry("a", "U8", "[2]", 2, 4)}), "abcd"), "gap of 2 bytes");
        add("trailing bytes", rawFile(object({u8x4}), "abcdef"), "2 unused bytes");
        add("duplicate names", rawFile(object({u8x4, u8x4}), "abcd"), "duplicate name 'a'");
        add("duplicate metadata key", rawFile("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}"), "duplicate name 'k'");
        add("metadata not an object", rawFile("{\"__metadata__\":[\"x\"]}"), "__metadata__ is not an object");
        add("metadata value not a string", rawFile("{\"__metadata__\":{\"k\":1}}"), "value of 'k' is not a string");
        add("truncated data", rawFile(object({entry("a", "U8", "[4]", 0, 4), entry("b", "U8", "[4]", 4, 8)}), "abcdef"),
            "truncated");
    }

    void malformed()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, problem);
        const auto path = file("bad.safetensors");
        writeBytes(path, bytes.toStdString());
        try {
            st::Reader::open(path);
            QFAIL("open() accepted a malformed file");
        } catch (const Error& e) {
            const QString message = QString::fromStdString(e.what());
            QCOMPARE(e.code(), ErrorCode::BadFormat);
            QVERIFY2(message.startsWith(QString::fromStdString(path.string()) + ": "), qPrintable(message));
            QVERIFY2(message.contains(problem), qPrintable(message));
        }
    }

    void missingFile()
    {
        const auto path = file("absent.safetensors");
        try {
            st::Reader::open(path);
            QFAIL("open() accepted a missing file");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::FileNotFound);
            QVERIFY(QString(e.what()).contains(QString::fromStdString(path.string())));
        }
    }

    void emptyHeaderIsValid()
    {
        const auto path = file("nothing.safetensors");
        writeBytes(path, rawFile("{}      "));
        const auto reader = st::Reader::open(path);
        QVERIFY(reader->tensors().empty());
        QVERIFY(reader->metadata().empty());
    }

    void roundTripEveryDtype_data()
    {
        QTest::addColumn<int>("type");
        for (auto type : {at::kDouble, at::kFloat, at::kHalf, at::kBFloat16, at::kLong, at::kInt, at::kShort, at::kChar,
                          at::kByte, at::kBool})
            QTest::newRow(c10::toString(type)) << int(type);
    }

    void roundTripEveryDtype()
    {
        QFETCH(int, type);
        const auto scalar = static_cast<at::ScalarType>(type);
        at::manual_seed(type);
        const auto values = at::isFloatingType(scalar) ? at::randn({3, 5, 7}).to(scalar)
                            : scalar == at::kBool      ? at::randint(0, 2, {3, 5, 7}).to(scalar)
                                                       : at::randint(-100, 100, {3, 5, 7}).to(scalar);
        const TensorMap tensors{{"w", values}, {"empty", at::empty({0, 4}, scalar)}, {"scalar", values[1][2][3]}};
        const auto path = file("round.safetensors");
        st::write(path, tensors, {{"format", "pt"}});
        const auto reader = st::Reader::open(path);
        QCOMPARE(reader->tensors().size(), std::size_t(3));
        QCOMPARE(reader->find("w")->dtype, st::fromScalarType(scalar));
        QCOMPARE(st::toScalarType(reader->find("w")->dtype), scalar);
        for (const auto& [name, expected] : tensors) {
            const auto got = reader->tensor(name);
            QCOMPARE(got.scalar_type(), scalar);
            QCOMPARE(got.sizes().vec(), expected.sizes().vec());
            QVERIFY2(at::equal(got, expected), name.c_str());
        }
        QCOMPARE(reader->metadata().at("format"), std::string("pt"));
    }

    void writerLayout()
    {
        const auto path = file("layout.safetensors");
        st::write(path, {{"b", at::ones({3}, at::kHalf)}, {"a", at::zeros({2, 2})}}, {{"k", "v"}, {"j", "w"}});
        std::ifstream in(path, std::ios::binary);
        std::uint64_t length = 0;
        in.read(reinterpret_cast<char*>(&length), 8);
        QCOMPARE(length % 8, std::uint64_t(0));
        std::string header(length, '\0');
        in.read(header.data(), static_cast<std::streamsize>(length));
        QVERIFY(header.find("\"a\"") < header.find("\"b\"")); // sorted names, data in the same order
        QCOMPARE(header.back() == ' ' || header.back() == '}', true);
        const auto reader = st::Reader::open(path);
        QCOMPARE(reader->tensors()[0].name, std::string("a"));
        QCOMPARE(reader->tensors()[0].begin, std::uint64_t(0));
        QCOMPARE(reader->tensors()[1].begin, std::uint64_t(16));
        QCOMPARE(reader->metadata().size(), std::size_t(2));
        QCOMPARE(reader->fileSize(), 8 + length + 16 + 6);
    }

    void nonContiguousInput()
    {
        const auto base = at::arange(12, at::kFloat).reshape({3, 4});
        const auto path = file("strided.safetensors");
        st::write(path, {{"t", base.t()}});
        const auto got = st::Reader::open(path)->tensor("t");
        QVERIFY(at::equal(got, base.t()));
    }

    void alignedIsZeroCopyAndOutlivesReader()
    {
        const auto path = file("aligned.safetensors");
        const auto values = at::arange(64, at::kFloat);
        st::write(path, {{"x", values}});
        auto reader = st::Reader::open(path);
        auto first = reader->tensor("x");
        auto second = reader->tensor("x");
        QCOMPARE(first.data_ptr(), second.data_ptr()); // both views into the same mapping
        std::weak_ptr<st::Reader> weak = reader;
        reader.reset();
        QVERIFY(!weak.expired()); // the views keep the mapping alive
        QVERIFY(at::equal(first, values));
        first = at::Tensor();
        QVERIFY(!weak.expired());
        second = at::Tensor();
        QVERIFY(weak.expired());
    }

    void unalignedIsCopied()
    {
        // F16 with 3 elements puts the following F32 at byte 6 of the 8-aligned data area.
        const auto path = file("unaligned.safetensors");
        const auto half = at::ones({3}, at::kHalf);
        const auto floats = at::arange(5, at::kFloat) * 0.5;
        st::write(path, {{"a_half", half}, {"b_float", floats}});
        const auto reader = st::Reader::open(path);
        QCOMPARE(reader->find("b_float")->begin, std::uint64_t(6));
        const auto first = reader->tensor("b_float");
        const auto second = reader->tensor("b_float");
        QVERIFY(first.data_ptr() != second.data_ptr()); // copies
        QCOMPARE(reinterpret_cast<std::uintptr_t>(first.data_ptr()) % 4, std::uintptr_t(0));
        QVERIFY(at::equal(first, floats));
        QVERIFY(at::equal(reader->tensor("a_half"), half));
    }

    void unalignedHeaderFromOtherWriters()
    {
        // Writers that do not pad (as some fixtures): header of 27 bytes, data at file offset 35.
        const std::string header = object({entry("x", "F32", "[2]", 0, 8)});
        float values[2] = {1.5f, -2.25f};
        std::string data(reinterpret_cast<const char*>(values), 8);
        const auto path = file("odd.safetensors");
        writeBytes(path, rawFile(header, data));
        const auto reader = st::Reader::open(path);
        const auto x = reader->tensor("x");
        QCOMPARE(x[0].item<float>(), 1.5f);
        QCOMPARE(x[1].item<float>(), -2.25f);
        const auto all = reader->loadAll();
        QCOMPARE(all.size(), std::size_t(1));
    }

    void absentTensor()
    {
        const auto path = file("one.safetensors");
        st::write(path, {{"x", at::zeros({1})}});
        const auto reader = st::Reader::open(path);
        QVERIFY(reader->find("y") == nullptr);
        try {
            reader->tensor("y");
            QFAIL("tensor() returned an absent tensor");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::BadCheckpoint);
            QVERIFY(QString(e.what()).contains("'y'"));
        }
    }

    void writeErrors()
    {
        const auto path = file("no-such-dir") / "x.safetensors";
        try {
            st::write(path, {{"x", at::zeros({1})}});
            QFAIL("write() into a missing directory succeeded");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::FileIo);
            QVERIFY(QString(e.what()).contains(QString::fromStdString(path.string())));
        }
        QVERIFY_THROWS_EXCEPTION(Error, st::write(file("c.safetensors"), {{"x", at::zeros({1}, at::kComplexFloat)}}));
    }

    void diskFullLeavesNoPartialFile()
    {
        // A file-size limit makes write() fail like a full disk (EFBIG instead of ENOSPC), also as root.
        const auto full = file("full");
        std::filesystem::create_directory(full);
        const auto path = full / "x.safetensors";
        const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit old{};
        ::getrlimit(RLIMIT_FSIZE, &old);
        rlimit small = old;
        small.rlim_cur = 1000;
        ::setrlimit(RLIMIT_FSIZE, &small);
        bool threw = false;
        try {
            st::write(path, {{"x", at::zeros({4096})}});
        } catch (const Error& e) {
            threw = e.code() == ErrorCode::FileIo && QString(e.what()).contains(QString::fromStdString(path.string()));
        }
        ::setrlimit(RLIMIT_FSIZE, &old);
        std::signal(SIGXFSZ, oldHandler);
        QVERIFY(threw);
        QVERIFY(std::filesystem::is_empty(full)); // neither the target nor the temporary remains
    }

    void overwriteIsAtomic()
    {
        const auto path = file("replace.safetensors");
        st::write(path, {{"x", at::zeros({4})}});
        auto old = st::Reader::open(path)->tensor("x"); // keeps the old mapping
        st::write(path, {{"x", at::ones({4})}});
        QVERIFY(at::equal(old, at::zeros({4})));
        QVERIFY(at::equal(st::Reader::open(path)->tensor("x"), at::ones({4})));
        for (const auto& e : std::filesystem::directory_iterator(path.parent_path()))
            QVERIFY2(e.path().filename().string().find(".tmp") == std::string::npos, e.path().c_str());
    }

    void dtypeNames()
    {
        QCOMPARE(std::string(st::dtypeName(st::DType::BF16)), std::string("BF16"));
        QCOMPARE(st::dtypeSize(st::DType::I64), std::size_t(8));
        QCOMPARE(st::dtypeSize(st::DType::BOOL), std::size_t(1));
        QCOMPARE(st::toScalarType(st::DType::BOOL), at::kBool);
    }
};

QTEST_APPLESS_MAIN(TestSafetensors)
#include "test_safetensors.moc"
